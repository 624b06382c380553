"""The one error type the renderer raises: a message fit to show a report author."""


class RenderError(Exception):
    """The report could not be rendered. The message names the file, line or chunk at fault."""
