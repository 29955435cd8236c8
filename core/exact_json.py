"""Django's JSON serialization, with times to the microsecond, that survives dangling history.

Django's own JSON cuts times to milliseconds; a backup written with it would come back with
every change-history timestamp moved. Registered as the "json" format (SERIALIZATION_MODULES),
so `dumpdata`, `loaddata` and the backup all use it; reading is Django's own.
"""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time) and o.microsecond:
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder

    def handle_fk_field(self, obj, field):
        """A reference by natural key where the row exists; by its id where it no longer does.

        Change-history rows keep pointing at what they described after it is deleted (their
        foreign keys have no database constraint): a source deleted after its line items. Its
        natural key cannot be read, so the history row keeps the id, which loaddata accepts.
        """
        try:
            super().handle_fk_field(obj, field)
        except ObjectDoesNotExist:
            self._current[field.name] = getattr(obj, field.attname)


Deserializer = django_json.Deserializer
