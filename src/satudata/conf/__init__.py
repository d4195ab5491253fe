"""Parts of the settings, each applied to settings.py's namespace at its end (see there).

Each part owns one concern (security, observability, scale-out) so that its settings, apps and
middleware are read in one place; `apply(s)` receives the settings namespace and changes it.
"""
