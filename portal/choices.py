"""Filter fields over short code lists (topics, genres, organisations) that read their list once
per form: Django's ModelChoiceField runs one query to validate the chosen value and another to
render the options; these share one."""

import django_filters
from django.core.exceptions import ValidationError
from django_filters import fields


class _ListIterator(fields.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.field.rows():
            yield self.choice(obj)

    def __len__(self):
        extra = (self.field.empty_label is not None) + (self.field.null_label is not None)
        return len(self.field.rows()) + extra

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows())


class ListedModelChoiceField(fields.ModelChoiceField):
    """A ModelChoiceField whose queryset is read once (on first use) for both the choices and the
    validation of the submitted value."""

    iterator = _ListIterator

    def rows(self) -> list:
        if getattr(self, "_rows", None) is None:
            self._rows = list(self.queryset)
        return self._rows

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._rows = None
        return result

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.null_label is not None and value == self.null_value:
            return value
        key = self.to_field_name or "pk"
        for obj in self.rows():
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ListedModelChoiceField
