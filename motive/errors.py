"""Every error motive raises on purpose, so callers can catch one base class."""


class MotiveError(Exception):
    """Base class: a problem motive can explain in one line, without a traceback."""


class TranscriptError(MotiveError):
    """A transcript cannot be read or holds no interview.

    The message names the source and the problem, never the transcript's content:
    transcripts hold personal data.
    """

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class CorpusError(MotiveError):
    """A labelled corpus file breaks motive's corpus format."""

    def __init__(self, source: str, line: int | None, problem: str):
        self.source = source
        self.line = line
        self.problem = problem
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {problem}")


class ModelError(MotiveError):
    """A model folder is missing, incomplete, tampered with or built for other versions."""
