"""History of models that have French versions (django-modeltranslation).

django-simple-history builds a model's historical copy as soon as the model class is
created, from the fields it has then. modeltranslation adds each translated field's
language columns (`title_en`, `title_fr`) later, when its app is ready; a historical copy
built before lacks them, and saving a record fails. `TranslatedHistoricalRecords` waits:
its historical copy is built in core's `ready()`, which Django runs after
modeltranslation's (INSTALLED_APPS lists modeltranslation first), so every language's
text is versioned, compared and reverted like any other field.
"""

from simple_history.models import HistoricalRecords


class TranslatedHistoricalRecords(HistoricalRecords):
    """`HistoricalRecords` for a model registered in a `translation.py`."""

    _waiting = []

    def contribute_to_class(self, cls, name):
        # As HistoricalRecords does, but finalized later (finalize_waiting), not on
        # `class_prepared`.
        self.manager_name = name
        self.module = cls.__module__
        self.cls = cls
        self.add_extra_methods(cls)
        self._waiting.append(self)

    @classmethod
    def finalize_waiting(cls):
        """Build the waiting historical copies (core's AppConfig.ready)."""
        while cls._waiting:
            records = cls._waiting.pop(0)
            records.finalize(records.cls)
