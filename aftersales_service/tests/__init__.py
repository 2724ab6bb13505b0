from . import test_ticket_numbering
from . import test_ticket_origin
from . import test_ticket_stages
from . import test_ticket_creation
from . import test_ticket_mail
from . import test_ticket_security
from . import test_team_dashboard
from . import test_ui
