from . import aftersales_ticket_close
