/**
 * Alibaba Cloud ESS's API as the server's {@link CloudApi}: it claims the requests that carry a
 * non-empty `x-acs-action` header, reads their body (up to the emulator's limit, `../http.ts`) and
 * hands them to the ESS API (`api.ts`), which answers, logs and counts them with the shared services.
 */
import type { CloudApi } from "../cloudApi";
import { MAX_API_BODY_BYTES, readBody } from "../http";
import type { AlibabaApi } from "./api";

/**
 * The ESS API as a {@link CloudApi}.
 * @example const ess = createAlibabaApi({ clock, services: new CloudServices(shared, ALIBABA_CLOUD, "qualified") });
 * const clouds: CloudDispatch = { apis: [tencent, alibabaCloudApi(ess)], unmatched: tencent };
 */
export function alibabaCloudApi(api: AlibabaApi): CloudApi {
  return {
    name: api.name,
    matches: (req) => api.matches(req),
    handle: async (req, res) => {
      const { body, tooLarge } = await readBody(req, MAX_API_BODY_BYTES);
      await api.handle(req, res, body, { tooLarge });
    },
  };
}
