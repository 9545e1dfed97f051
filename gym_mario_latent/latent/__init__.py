"""The latent-level side of the package: generators, the field's measures and archive presets."""
