"""The export baseline: a minimal httpx loop paging a record's emails into JSON Lines.

    python -m tui.bench.pager MODULE RECORD_ID OUT    (ZOHO_* from `crm-emails sandbox`)

No retries, no caps, no escaping, no dedupe, no resume: the least an export can do. On
`httpx.AsyncClient`, as export is (its client is the app's, and the app is asyncio): the
same library on the same I/O model, without what makes export safe. An access token in
ZOHO_ACCESS_TOKEN is used as it is (export reuses its cached one too: Zoho mints ten an
hour at most), else one is minted.
"""

import asyncio
import json
import os
import sys

import httpx


async def main(module: str, record_id: str, out_path: str) -> None:
    async with httpx.AsyncClient(timeout=60) as http:
        token = os.environ.get("ZOHO_ACCESS_TOKEN") or (await http.post(
            f"{os.environ['ZOHO_ACCOUNTS_URL']}/oauth/v2/token",
            data={
                "grant_type": "refresh_token",
                "client_id": os.environ["ZOHO_CLIENT_ID"],
                "client_secret": os.environ["ZOHO_CLIENT_SECRET"],
                "refresh_token": os.environ["ZOHO_REFRESH_TOKEN"],
            },
        )).json()["access_token"]
        url = f"{os.environ['ZOHO_API_DOMAIN']}/crm/v8/{module}/{record_id}/Emails"
        headers = {"Authorization": f"Zoho-oauthtoken {token}"}
        params: dict[str, str] = {}
        with open(out_path, "w", encoding="utf-8") as out:
            while True:
                answer = await http.get(url, params=params, headers=headers)
                if answer.status_code == 204:
                    return
                body = answer.json()
                for email in body["Emails"]:
                    out.write(json.dumps(email, ensure_ascii=False) + "\n")
                info = body["info"]
                if not info.get("more_records"):
                    return
                params = {"index": info["next_index"]}


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
