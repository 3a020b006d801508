"""API Gateway's REST API operations (apigateway, rest-json, botocore's 2015-07-09 model)."""
