"""grant-assistant: cited answers about the 地方創生テレワーク grant programme.

Nothing heavy is imported here: models and indexes load in `build_assistant`.
"""

__version__ = "0.1.0"
