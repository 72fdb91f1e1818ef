"""One exception hierarchy; every message tells the user what to do next."""


class GrantAssistantError(Exception):
    """Base of every error the product raises on purpose."""


class ConfigError(GrantAssistantError):
    """A setting is missing or contradictory."""


class IngestError(GrantAssistantError):
    """A corpus file cannot be read or indexed (the message names the file)."""


class IndexMissingError(GrantAssistantError):
    """No usable index in the data directory; the message gives the command that builds it."""


class IndexBusyError(GrantAssistantError):
    """The index is being rebuilt right now; try again shortly."""


class InputError(GrantAssistantError):
    """A question or request is unusable (empty, too long, binary ...)."""


class CalculationError(GrantAssistantError):
    """A calculator cannot compute from the inputs given (missing, negative, absurd ...)."""


class AmountParseError(CalculationError):
    """A Japanese amount or ratio could not be read unambiguously."""
