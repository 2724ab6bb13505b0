def post_init_hook(env):
    """Give every existing company its own ticket sequence and every existing
    warehouse its return quarantine location."""
    ticket_model = env["aftersales.ticket"]
    for company in env["res.company"].search([]):
        ticket_model._get_ticket_sequence(company)
    warehouses = env["stock.warehouse"].with_context(active_test=False).search([])
    warehouses._create_missing_locations({})
