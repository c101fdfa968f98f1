"""The test side of the GitHub emulator (the emulator itself is the ``github_emulator``
package, shipped with tracker): the ``github_emulator`` pytest fixture, and the check of
every answer against GitHub's official OpenAPI description (read from ``node_modules``,
which ``npm ci`` installs). Both need test-only packages, so they stay out of the
shipped package, which needs nothing beyond the standard library."""
