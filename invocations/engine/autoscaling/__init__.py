"""Application Auto Scaling for provisioned concurrency, pure part (issue 13 point 4): schedule expressions in
simulated time and target tracking's arithmetic. The services keep the targets, policies and activities."""
