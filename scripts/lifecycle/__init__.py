"""The contract's life cycle: the breaking-change gate and releases (docs/versioning.md)."""
