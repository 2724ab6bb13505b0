from odoo import models, tools


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_compute_author(
        self, author_id=None, email_from=None, raise_on_email=True
    ):
        """On the after-sales documents, a user without an e-mail address still
        writes: the messages keep them as author and go out from the company's
        address, so that Odoo's notifications (assignment, activities, mails to
        the followers and customers) never block their work."""
        if not self._name.startswith("aftersales."):
            return super()._message_compute_author(
                author_id, email_from, raise_on_email
            )
        author_id, email_from = super()._message_compute_author(
            author_id, email_from, raise_on_email=False
        )
        user_partner = self.env.user.partner_id
        if not email_from and author_id in (False, None, user_partner.id):
            author_id = user_partner.id
            email_from = self._aftersales_company_sender()
        return super()._message_compute_author(author_id, email_from, raise_on_email)

    def _aftersales_company_sender(self):
        """The document's company's address, else its default sender, else
        OdooBot's."""
        company = self.env.company
        if len(self) == 1 and "company_id" in self._fields:
            company = self.sudo().company_id or company
        if company.email:
            return company.email_formatted
        if company.default_from_email:
            return tools.formataddr((company.name, company.default_from_email))
        return self.env.ref("base.partner_root").email_formatted
