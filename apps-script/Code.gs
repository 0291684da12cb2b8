/**
 * dienhinh: sends each new response of this Google Form to the dienhinh `ingestResponse` Cloud
 * Function as soon as it is submitted, signed with a secret shared with the function.
 *
 * Install (once, by the form's owner):
 *   1. In the form: Extensions > Apps Script. Replace Code.gs with this file; in Project Settings,
 *      tick "Show appsscript.json" and replace it with the manifest next to this file.
 *   2. Project Settings > Script properties: DIENHINH_URL = the ingestResponse URL,
 *      DIENHINH_SECRET = the same secret as the function's DIENHINH_HMAC_SECRET.
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

/** The response as a Forms API FormResponse, its answers keyed by question title. */
function toPayload(form, response) {
  const payload = {
    formId: form.getId(),
    responseId: response.getId(),
    lastSubmittedTime: response.getTimestamp().toISOString(),
    titledAnswers: response.getItemResponses().map((itemResponse) => {
      const item = itemResponse.getItem();
      const value = itemResponse.getResponse();
      if (item.getType() === FormApp.ItemType.FILE_UPLOAD) {
        return {
          title: item.getTitle(),
          fileUploadAnswers: { answers: value.map((id) => ({ fileId: id })) },
        };
      }
      const values = Array.isArray(value) ? value : [value];
      return { title: item.getTitle(), textAnswers: { answers: values.map((v) => ({ value: String(v) })) } };
    }),
  };
  const email = response.getRespondentEmail();
  if (email) payload.respondentEmail = email;
  return payload;
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
  const body = JSON.stringify(toPayload(FormApp.getActiveForm(), e.response));
  for (let attempt = 1; attempt <= 3; attempt++) {
    const result = UrlFetchApp.fetch(url, {
      method: "post",
      contentType: "application/json; charset=utf-8",
      payload: body,
      headers: { "X-Dienhinh-Signature": signature(secret, body, Math.floor(Date.now() / 1000)) },
      muteHttpExceptions: true,
    });
    const code = result.getResponseCode();
    if (code < 500 && code !== 429) {
      if (code >= 400) console.error(`dienhinh từ chối câu trả lời (${code}): ${result.getContentText()}`);
      return;
    }
    Utilities.sleep(2000 * attempt);
  }
  console.error("dienhinh không nhận được câu trả lời sau 3 lần gửi; hàm reconcile sẽ lấy lại.");
}
