"""The named checks that validate rules spanning entries of one framework file, by what they
check: `indicators` (numbers, membership, formulas, requirements, companions, warnings),
`items` (units, variables, identities, consistency checks, plausible ranges, list rules) and
`settings` (profile fields, settings, gates). Each is a function of the `Framework` being built
that raises a `FrameworkError` naming the file and key path and stores what it compiled; the
order they run in, with the checks that reach other frameworks and providers, is
`ecopark.core.framework.loading.CHECKS`."""
