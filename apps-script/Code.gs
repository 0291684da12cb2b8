/**
 * dienhinh: tells the dienhinh `ingestResponse` Cloud Function, as soon as a response of this Google
 * Form is submitted, which response it is. The function then reads that response itself from the
 * Forms API: this script sends only the form's id and the response's id, signed with the
 * campaign's key, and nothing it could send about the response (its sender, time or answers) is
 * believed.
 *
 * Install (once, by the form's owner):
 *   1. In the form: Extensions > Apps Script. Replace Code.gs with this file; in Project Settings,
 *      tick "Show appsscript.json" and replace it with the manifest next to this file.
 *   2. Project Settings > Script properties: DIENHINH_URL = the ingestResponse URL,
 *      DIENHINH_SECRET = the campaign's key, as `dienhinh push-secret --campaign ID` prints it.
 *      After `dienhinh push-secret --campaign ID --rotate`, paste the new key here within 7 days.
 *   3. Run installTrigger() once and accept the permissions.
 * The scheduled `reconcile` function still pulls every response, so a push that fails loses nothing.
 */

function installTrigger() {
  const form = FormApp.getActiveForm();
  ScriptApp.getProjectTriggers().forEach((trigger) => {
    if (trigger.getHandlerFunction() === "onFormSubmit") ScriptApp.deleteTrigger(trigger);
  });
  ScriptApp.newTrigger("onFormSubmit").forForm(form).onFormSubmit().create();
}

/** The notice: which form, which response. The function reads the response from the Forms API. */
function toNotice(form, response) {
  return { formId: form.getId(), responseId: response.getId() };
}

/** "t=<unix seconds>,v1=<hex HMAC-SHA256 of t + '.' + body>", as the function checks it. */
function signature(secret, body, unixSeconds) {
  const bytes = Utilities.computeHmacSha256Signature(
    `${unixSeconds}.${body}`,
    secret,
    Utilities.Charset.UTF_8,
  );
  const hex = bytes
    .map((b) => {
      const h = (b & 0xff).toString(16);
      return h.length === 1 ? `0${h}` : h;
    })
    .join("");
  return `t=${unixSeconds},v1=${hex}`;
}

function onFormSubmit(e) {
  const properties = PropertiesService.getScriptProperties();
  const url = properties.getProperty("DIENHINH_URL");
  const secret = properties.getProperty("DIENHINH_SECRET");
  if (!url || !secret) throw new Error("Thiếu DIENHINH_URL hoặc DIENHINH_SECRET trong Script properties.");
  const body = JSON.stringify(toNotice(FormApp.getActiveForm(), e.response));
  for (let attempt = 1; attempt <= 3; attempt++) {
    const result = UrlFetchApp.fetch(url, {
      method: "post",
      contentType: "application/json; charset=utf-8",
      payload: body,
      headers: { "X-Dienhinh-Signature": signature(secret, body, Math.floor(Date.now() / 1000)) },
      muteHttpExceptions: true,
    });
    const code = result.getResponseCode();
    // 404: the Forms API may show a response a moment after the trigger fires; try again (a form
    // of no campaign answers 404 too, and is tried the same three times: reconcile is the backstop).
    if (code < 500 && code !== 429 && code !== 404) {
      if (code >= 400) console.error(`dienhinh từ chối câu trả lời (${code}): ${result.getContentText()}`);
      return;
    }
    Utilities.sleep(2000 * attempt);
  }
  console.error("dienhinh không nhận được câu trả lời sau 3 lần gửi; hàm reconcile sẽ lấy lại.");
}
