from odoo import _, api, models
from odoo.exceptions import AccessError

# The key that opens the guard: a Python object, which no client can send in
# a context (JSON has no such value). Only the server's own actions use it,
# through ``_guarded_write`` and ``_guarded_create``.
GUARDED_WRITE = object()


class AftersalesGuardedFields(models.AbstractModel):
    """Fields a client never writes: workflow states, approvals and approvers,
    stamps, numbers and the amounts of confirmed entries.

    A model lists them in ``_guarded_fields`` ({field: the action that sets
    it, for the message}); ``create`` and ``write`` refuse a value for them,
    unless it is the field's current (or, on creation, default) value. The
    actions check the user's right themselves, then write through
    ``_guarded_write``. The superuser (data files, upgrades) is not refused.
    """

    _name = "aftersales.guarded.fields"
    _description = "Fields Changed Only Through Their Actions"

    def _guarded_fields(self):
        """{field name: the action that changes it, as users know it}."""
        return {}

    @api.model_create_multi
    def create(self, vals_list):
        if self._guard_is_closed():
            guarded = self._guarded_fields()
            defaults = self.default_get(list(guarded))
            for vals in vals_list:
                for fname in guarded.keys() & vals.keys():
                    if vals[fname] and not self._same_value(
                        fname, vals[fname], defaults.get(fname)
                    ):
                        self._refuse_guarded(fname, guarded[fname])
        return super().create(vals_list)

    def write(self, vals):
        if self._guard_is_closed():
            guarded = self._guarded_fields()
            for fname in guarded.keys() & vals.keys():
                if any(
                    not self._same_value(fname, vals[fname], record[fname])
                    for record in self
                ):
                    self._refuse_guarded(fname, guarded[fname])
        return super().write(vals)

    def _guard_is_closed(self):
        return not (
            self.env.su
            or self.env.context.get("aftersales_guarded_write") is GUARDED_WRITE
        )

    def _same_value(self, fname, value, current):
        """Whether ``value`` (write format) is ``current`` (the record's value
        or the default): a client resending a value unchanged is not refused."""
        field = self._fields[fname]
        if field.type == "many2one":
            if isinstance(current, models.BaseModel):
                current = current.id
            return (value or False) == (current or False)
        if field.type in ("one2many", "many2many"):
            return False
        if field.type in ("date", "datetime", "float", "monetary"):
            return field.convert_to_cache(value, self) == field.convert_to_cache(
                current, self
            )
        return (value or False) == (current or False)

    def _refuse_guarded(self, fname, action):
        label = self._fields[fname]._description_string(self.env)
        raise AccessError(
            _(
                "%(field)s of %(model)s is set only by %(action)s, which checks "
                "who may do it; it cannot be written directly.",
                field=label,
                model=self._description,
                action=action,
            )
        )

    def _guarded_write(self, vals):
        """Write guarded fields: for the actions that have checked the right."""
        return self.with_context(aftersales_guarded_write=GUARDED_WRITE).write(vals)

    @api.model
    def _guarded_create(self, vals_list):
        """Create with guarded fields set: for the server's own flows."""
        return self.with_context(aftersales_guarded_write=GUARDED_WRITE).create(
            vals_list
        )
