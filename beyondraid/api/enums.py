"""Names for the schema's enumerations that several fields share: drf-spectacular would otherwise
name each after the first field it meets (``ReachedEnum`` for every yes/no/unknown answer)."""

from beyondraid.standard.vocabulary import vocabulary

YES_NO_UNKNOWN = list(vocabulary("yes_no_unknown").codes)
# The sector of a person's work and an operation's sector focus take the same codes.
WORK_SECTOR = list(vocabulary("work_sector").codes)
