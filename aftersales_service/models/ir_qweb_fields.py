from odoo import api, models
from odoo.tools import posix_to_ldml
from odoo.tools.misc import babel_locale_parse


class IrQwebFieldDatetime(models.AbstractModel):
    _inherit = "ir.qweb.field.datetime"

    @api.model
    def value_to_html(self, value, options):
        """``hide_seconds`` uses the language's time format without seconds,
        as the web client does: Odoo only cuts ``:ss`` from the pattern, which
        leaves the seconds of formats such as zh_CN's ``%H时%M分%S秒``."""
        if (
            value
            and options.get("hide_seconds")
            and not options.get("format")
            and not options.get("date_only")
        ):
            lang = self.user_lang()
            pattern = lang.short_time_format
            if not options.get("time_only"):
                pattern = f"{lang.date_format} {pattern}"
            options = dict(
                options,
                format=posix_to_ldml(pattern, locale=babel_locale_parse(lang.code)),
            )
        return super().value_to_html(value, options)
