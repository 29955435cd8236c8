"""The texts of objectives and programs in every language (django-modeltranslation): a column per
language beside the English original, and their history registered after those columns."""

from modeltranslation.translator import TranslationOptions, translator

from core.history import register_tracked_history
from programs.models import Objective, Program


class ObjectiveTexts(TranslationOptions):
    fields = ("short_name", "description")


class ProgramTexts(TranslationOptions):
    fields = ("name", "summary")


translator.register(Objective, ObjectiveTexts)
translator.register(Program, ProgramTexts)
register_tracked_history(Objective)
register_tracked_history(Program, m2m_fields=["objectives", "countries", "sources"])
