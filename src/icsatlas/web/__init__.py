"""The public portal: web pages and their maps."""
