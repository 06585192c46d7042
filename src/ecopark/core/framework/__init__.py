"""The framework model: a standard as data (items, indicators, requirements, groups, settings,
gates, guidance, exemptions, companions), loaded and checked."""
