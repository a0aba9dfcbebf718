"""The public read API (/api/v1/): views, serializers, cursor pagination and schema."""
