"""Each record's history (django-simple-history), read through the private manager.

simple_history rebuilds a record from a history row (to show, restore or revert it) and
takes the fields it does not keep in history (the optimistic lock's ``version``,
``updated_at``) from the live row through ``model.objects``. The models here have no bare
``objects`` (visits/querysets.py), so the live row is read through the model's default
manager, ``private_objects``: the rest is simple_history's own behaviour.
"""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from simple_history.models import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.models import HistoricalRecords as LibraryHistoricalRecords


class HistoricalRecords(LibraryHistoricalRecords):  # type: ignore[misc]  # untyped library
    def get_extra_fields(
        self, model: type[models.Model], fields: dict[str, "models.Field[Any, Any]"]
    ) -> dict[str, Any]:
        extra: dict[str, Any] = super().get_extra_fields(model, fields)

        def get_instance(historical: Any) -> models.Model:
            attrs = {field.attname: getattr(historical, field.attname) for field in fields.values()}
            excluded = [
                field.attname
                for field in model._meta.concrete_fields
                if field.name in historical._history_excluded_fields
            ]
            if excluded:
                try:
                    live = (
                        model._default_manager.filter(
                            pk=getattr(historical, model._meta.pk.attname)
                        )
                        .values(*excluded)
                        .get()
                    )
                except ObjectDoesNotExist:
                    pass  # a deleted record: the excluded fields keep their defaults
                else:
                    attrs.update(live)
            instance = model(**attrs)
            setattr(instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, historical)
            return instance

        extra["instance"] = property(get_instance)
        return extra
