"""What email and SMS templates share: a name, a default language and one version per
language, checked and stored alike."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from amity.integrations.models.mail_out import TEMPLATE_LANGUAGES

LANGUAGE_CODES = tuple(code for code, _label in TEMPLATE_LANGUAGES)


def _language(code: str) -> str:
    """Accept zh-Hans / zh_Hans as well as Django's zh-hans."""
    return (code or "").strip().lower().replace("_", "-")


def clean_template_frame(*, name: str, default_language: str, versions: dict[str, dict],
                         fields: tuple[str, ...], default_field: str
                         ) -> tuple[str, str, dict[str, dict], dict[str, list[str]]]:
    """What every kind of template checks alike: the name, the default language, and which
    versions were given (a version counts when any of `fields` is filled). Returns the
    cleaned name, default language, versions by language code, and errors so far."""
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name or len(name) > 200:
        errors["name"] = [_("Give the template a name of at most 200 characters.")]
    default_language = _language(default_language)
    if default_language not in LANGUAGE_CODES:
        errors["default_language"] = [_("Choose one of: %s.") % ", ".join(LANGUAGE_CODES)]
    given = {_language(code): data for code, data in versions.items()
             if any((data or {}).get(f) for f in fields)}
    for code in sorted(set(given) - set(LANGUAGE_CODES)):
        errors[f"versions.{code}"] = [_("Choose one of: %s.") % ", ".join(LANGUAGE_CODES)]
    if default_language in LANGUAGE_CODES and default_language not in given:
        errors[f"versions.{default_language}.{default_field}"] = [
            _("Write the version in the default language.")]
    return name, default_language, given, errors


def store_template(*, template: Model, actor, name: str, default_language: str,
                   versions: dict[str, dict], version_model: type[Model]) -> Model:
    """Save `template` and replace its versions with `versions` (language -> field values)
    in one transaction; a name already taken is an error on "name"."""
    template.name, template.default_language = name, default_language
    template.updated_by = actor
    try:
        with transaction.atomic():
            template.save()
            template.versions.exclude(language__in=versions).delete()
            for code, values in versions.items():
                version_model.objects.update_or_create(template=template, language=code,
                                                       defaults=values)
    except IntegrityError as exc:
        raise ValidationError({"name": [_("A template with this name exists.")]}) from exc
    return template
