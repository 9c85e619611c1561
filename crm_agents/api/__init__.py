"""The HTTP API (`/api/v1`, FastAPI): the product for CRM and marketing-automation systems.

Built on the same composition root as the app and the CLI (`ApiContext` holds the assembly and
the results database), served alone by `crm-agents api` and beside the app by `python app.py`
(the app is mounted on this server). Every door has the same guards: API keys with scopes, rate
limits per key and per address, RFC 9457 errors, body size limits, CORS only when configured,
and `Idempotency-Key` on every POST.
"""
