from . import aftersales_ticket_close
from . import aftersales_ticket_category_approve
from . import aftersales_ticket_warranty_override
from . import aftersales_equipment_build
from . import aftersales_repair_paperwork
from . import aftersales_quote_accept
from . import aftersales_part_request_reject
from . import aftersales_evaluation_generate
