"""The texts of reported figures and disagreements in every language (django-modeltranslation): a
column per language beside the English original, and their history registered after those columns."""

from modeltranslation.translator import TranslationOptions, translator

from core.history import register_tracked_history
from funding.models import Disagreement, Explanation, ReportedFigure


class FigureTexts(TranslationOptions):
    fields = ("label",)


class DisagreementTexts(TranslationOptions):
    fields = ("title",)


class ExplanationTexts(TranslationOptions):
    fields = ("text",)


translator.register(ReportedFigure, FigureTexts)
translator.register(Disagreement, DisagreementTexts)
translator.register(Explanation, ExplanationTexts)
register_tracked_history(ReportedFigure)
register_tracked_history(Disagreement)
register_tracked_history(Explanation)
