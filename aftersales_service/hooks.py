def post_init_hook(env):
    """Give every existing company its own ticket sequence."""
    ticket_model = env["aftersales.ticket"]
    for company in env["res.company"].search([]):
        ticket_model._get_ticket_sequence(company)
