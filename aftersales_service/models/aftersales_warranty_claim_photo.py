from odoo import api, models


class AftersalesWarrantyClaim(models.Model):
    """Photos uploaded on a claim before it is first saved are attached to no
    record: only their uploader may read them, and the claim form then opens for
    nobody else. Linked to a claim, the uploader's photos become the claim's."""

    _inherit = "aftersales.warranty.claim"

    @api.model_create_multi
    def create(self, vals_list):
        claims = super().create(vals_list)
        claims._adopt_photos()
        return claims

    def write(self, vals):
        res = super().write(vals)
        if "photo_ids" in vals:
            self._adopt_photos()
        return res

    def _adopt_photos(self):
        uploader = self.env.user
        for claim in self:
            # Sudo: the photos are the user's own uploads, attached to nothing yet;
            # someone else's private upload linked by id is left alone.
            claim.sudo().photo_ids.filtered(
                lambda photo: not photo.res_id and photo.create_uid == uploader
            ).write({"res_model": claim._name, "res_id": claim.id})
