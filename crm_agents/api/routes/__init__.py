"""The API's resources, one module each: customers, analyses, and health."""
