"""The JSON API (`/api/...`): routes over the package desk, with its OpenAPI contract."""
