"""AWS Lambda's REST API at AWS's own paths, so boto3 and the AWS CLI work against LambdaViz unchanged (issue 5)."""
