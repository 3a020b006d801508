"""CodeDeploy for Lambda, pure (issue 14): traffic_shift (a deployment config's steps on the simulation clock)."""
