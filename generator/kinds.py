"""The closed word lists of the content format, used by the schema's fields.

Apart from the schema so that the command line can name them in its help without
loading the checker.
"""

EVENT_STATUSES = ("occurred", "planned", "disputed")
ACTOR_KINDS = ("person", "state", "organization", "armed-group", "media", "other")
MEDIA_KINDS = ("image", "video", "audio", "document")
PLACE_KINDS = ("country", "region", "city", "town", "site", "area", "other")
# How closely a place's coordinates locate what happens there, from the finest; the
# idea of conflict data sets' geo-precision codes (ACLED, UCDP).
PLACE_PRECISIONS = ("exact", "near", "city", "region", "country")
