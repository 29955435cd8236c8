"""Django's JSON serialization, with times to the microsecond.

Django's own JSON cuts times to milliseconds; a backup written with it would come back with
every change-history timestamp moved. Registered as the "json" format (SERIALIZATION_MODULES),
so `dumpdata`, `loaddata` and the backup all use it; reading is Django's own.
"""

import datetime

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


Deserializer = django_json.Deserializer
