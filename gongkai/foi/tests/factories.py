"""Helpers to create applications in tests."""

import datetime as dt

from gongkai.core.models import Organization
from gongkai.foi import services
from gongkai.foi.models import ApplicantType, Channel

# Checksum-valid numbers (GB 11643 / GB 32100), not real people or companies.
ID_NUMBER = "11010519491231002X"
CREDIT_CODE = "91370104MA3C000008"


def person(**extra):
    data = {"applicant_type": ApplicantType.NATURAL_PERSON, "applicant_name": "张三",
            "id_type": "id_card", "id_number": ID_NUMBER, "phone": "13800000000",
            "email": "zhangsan@example.com", "address": "济南市槐荫区某路1号",
            "subject": "2026年槐荫区老旧小区改造项目清单", "doc_number": "",
            "description": "", "forms_wanted": ["email"], "delivery": "email"}
    data.update(extra)
    return data


def registered(actor, org_code="hyq-fgj", received=dt.date(2026, 11, 2), **extra):
    org = Organization.objects.get(code=org_code)
    app, code = services.register_application(
        actor=actor, data=person(**extra), channel=Channel.IN_PERSON, received_date=received,
        addressee=Organization.objects.get(code="hyq"), org=org)
    return app, code
