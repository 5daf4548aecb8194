"""The geography every domain and interface shares, taken from the register on a date."""

from icsatlas.geography.resolve import Cover, Resolution, Resolver

__all__ = ["Cover", "Resolution", "Resolver"]
