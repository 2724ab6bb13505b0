from odoo import _, api, models, tools


class AftersalesTicket(models.Model):
    """Mail gateway and customer notifications of the service ticket."""

    _inherit = "aftersales.ticket"

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._notify_customer(
            "aftersales_mail_on_create", "mail_template_ticket_received"
        )
        return tickets

    def write(self, vals):
        closing = self.browse()
        if vals.get("stage_id"):
            stage = self.env["aftersales.stage"].browse(vals["stage_id"])
            if stage.kind == "closed":
                closing = self.filtered(lambda t: t.stage_kind != "closed")
        res = super().write(vals)
        closing._notify_customer(
            "aftersales_mail_on_close", "mail_template_ticket_closed"
        )
        return res

    def _notify_customer(self, company_flag, template_xmlid):
        """Mail the customer through the chatter when the company wants it."""
        template = self.env.ref(
            f"aftersales_service.{template_xmlid}", raise_if_not_found=False
        )
        if not template:
            return
        for ticket in self:
            if ticket.company_id[company_flag] and ticket.partner_email:
                ticket.message_post_with_source(
                    template, subtype_xmlid="mail.mt_comment"
                )

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values:
            return self.env.ref("aftersales_service.mt_ticket_stage")
        return super()._track_subtype(init_values)

    def _creation_subtype(self):
        return self.env.ref("aftersales_service.mt_ticket_new")

    # ------------------------------------------------------------------
    # Mail gateway: a mail to a team alias opens a ticket; replies land on it.
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        author = self.env["res.partner"].browse(msg_dict.get("author_id"))
        email_from = msg_dict.get("email_from")
        if not author and email_from:
            author = self.env["res.partner"].find_or_create(email_from)
        # The gateway would put the subject into ``name``, which is the ticket number.
        values["name"] = _("New")
        values.setdefault("subject", msg_dict.get("subject") or _("No Subject"))
        values.setdefault("channel", "email")
        values.setdefault("description", msg_dict.get("body"))
        if author:
            customer = author.commercial_partner_id
            values.setdefault("partner_id", customer.id)
            if author != customer:
                values.setdefault("contact_id", author.id)
            values.setdefault(
                "partner_email", tools.email_normalize(email_from) or author.email
            )
        return super(
            AftersalesTicket, self.with_context(mail_create_nolog=True)
        ).message_new(msg_dict, custom_values=values)

    def _message_post_after_hook(self, message, msg_vals):
        # The first reply an employee sends to the customer is the first response.
        if (
            message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            self.filtered(lambda t: not t.date_first_response).sudo().write(
                {"date_first_response": message.date}
            )
        # Customers who write in become followers so they get the answers.
        if self.partner_id and message.author_id == self.partner_id:
            self.message_subscribe(partner_ids=self.partner_id.ids)
        return super()._message_post_after_hook(message, msg_vals)

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        for ticket in self:
            person = ticket.contact_id or ticket.partner_id
            if person:
                ticket._message_add_suggested_recipient(
                    recipients, partner=person, reason=_("Customer")
                )
            elif ticket.partner_email:
                ticket._message_add_suggested_recipient(
                    recipients, email=ticket.partner_email, reason=_("Customer E-mail")
                )
        return recipients
