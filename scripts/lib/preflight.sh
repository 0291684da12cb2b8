# shellcheck shell=bash
# scripts/deploy --preflight: the prerequisites of a deployment, checked before anything is built
# or created, each printed ✓ (met), ✗ (not met: what to do) or ! (a step gcloud cannot check, done
# by hand). Exit code 1 when any is not met. Sourced by scripts/deploy, after its settings are read
# (PROJECT, REGION, MAIL, DIENHINH_DRIVE_FOLDER, the service accounts' names, quote, P, dry_run).
# With --dry-run it prints the commands it would ask, one a line, and judges nothing.

preflight_failed=0

pf_pass() { [ "$dry_run" = 1 ] || printf '  ✓ %s\n' "$1"; }
pf_fail() {
  [ "$dry_run" = 1 ] && return 0
  preflight_failed=$((preflight_failed + 1))
  printf '  ✗ %s\n' "$1"
  shift
  local line
  for line in "$@"; do printf '      → %s\n' "$line"; done
}
pf_manual() {
  [ "$dry_run" = 1 ] && return 0
  printf '  ! %s\n' "$1"
  shift
  local line
  for line in "$@"; do printf '      → %s\n' "$line"; done
}
pf_section() { [ "$dry_run" = 1 ] || printf '\n%s\n' "$1"; }

# ask VAR COMMAND...: VAR is what the command prints, empty when it fails (status 1). A dry run
# prints the command and sets VAR empty.
ask() {
  local var="$1"
  shift
  if [ "$dry_run" = 1 ]; then
    printf '%s\n' "$(quote "$@")"
    printf -v "$var" '%s' ""
    return 0
  fi
  local out
  if out=$("$@" 2>/dev/null); then
    printf -v "$var" '%s' "$out"
    return 0
  fi
  printf -v "$var" '%s' ""
  return 1
}

# api VAR TOKEN METHOD URL [BODY]: a Google REST call with a bearer token. The token is never
# printed: callers pass "${token:-\$(where it comes from)}", which a dry run prints instead.
api() {
  local var="$1" token="$2" method="$3" url="$4" body="${5:-}"
  local -a data=()
  [ -n "$body" ] && data=(-H "Content-Type: application/json" --data "$body")
  if [ "$dry_run" = 1 ]; then
    printf '%s\n' "$(quote curl -sS -X "$method" -H "Authorization: Bearer $token" "${data[@]}" "$url")"
    printf -v "$var" '%s' ""
    return 0
  fi
  local out
  # The header from stdin: a token on the command line would show in the process list.
  if out=$(curl -sS -f -X "$method" -H @- "${data[@]}" "$url" 2>/dev/null <<<"Authorization: Bearer $token"); then
    printf -v "$var" '%s' "$out"
    return 0
  fi
  printf -v "$var" '%s' ""
  return 1
}

# json FIELD...: fields of the JSON on stdin ("a.b"), one a line; arrays joined by spaces.
json() {
  node -e 'let v = {}; try { v = JSON.parse(require("node:fs").readFileSync(0, "utf8") || "{}"); } catch {}
for (const path of process.argv.slice(1)) { let x = v; for (const k of path.split(".")) x = x?.[k];
console.log(Array.isArray(x) ? x.join(" ") : (x ?? "")); }' "$@"
}

# blocked VALUE... < effective policy JSON: the values a list constraint denies, or "enforced" for
# a boolean constraint that is on. `blocked --any VALUE...`: "blocked" unless one of them is allowed.
blocked() {
  node -e 'let p = {}; try { p = JSON.parse(require("node:fs").readFileSync(0, "utf8") || "{}"); } catch {}
let args = process.argv.slice(1); const any = args[0] === "--any"; if (any) args = args.slice(1);
if (p.booleanPolicy?.enforced) { console.log("enforced"); process.exit(0); }
const l = p.listPolicy ?? {}; const bare = (v) => String(v).replace(/^(is|under):/, "");
const allowed = (l.allowedValues ?? []).map(bare); const denied = (l.deniedValues ?? []).map(bare);
const ok = (v) => l.allValues !== "DENY" && !denied.includes(v) && (l.allValues === "ALLOW" || allowed.length === 0 || allowed.includes(v));
const out = any ? (args.some(ok) ? [] : ["blocked"]) : args.filter((v) => !ok(v));
if (out.length) console.log(out.join(" "));' -- "$@"
}

# The permissions scripts/deploy uses on the project (testIamPermissions counts roles inherited
# from a folder or the organisation, and custom roles).
deploy_permissions() {
  local -a perms=(serviceusage.services.enable resourcemanager.projects.setIamPolicy
    iam.serviceAccounts.create iam.serviceAccounts.setIamPolicy iam.serviceAccounts.actAs
    datastore.databases.create datastore.indexes.update pubsub.topics.create pubsub.topics.setIamPolicy
    cloudfunctions.functions.create cloudfunctions.functions.setIamPolicy run.services.setIamPolicy
    eventarc.triggers.create cloudbuild.builds.create storage.buckets.create
    artifactregistry.repositories.create run.jobs.create run.jobs.setIamPolicy cloudscheduler.jobs.create)
  [ "$MAIL" = smtp ] && perms+=(secretmanager.secrets.get secretmanager.secrets.setIamPolicy)
  printf '%s\n' "${perms[@]}"
}

pf_account() {
  pf_section "Tài khoản và dự án / account and project"
  ask account gcloud auth list --filter=status:ACTIVE '--format=value(account)'
  account="${account%%$'\n'*}"
  if [ "$dry_run" = 0 ] && [ -z "$account" ]; then
    pf_fail "Chưa đăng nhập gcloud / gcloud is not signed in" "gcloud auth login (tài khoản của người triển khai / the deployer's account)"
    return 1
  fi
  pf_pass "Đã đăng nhập gcloud / signed in as $account"
  ask state gcloud projects describe "$PROJECT" '--format=value(lifecycleState)' || true
  if [ "$dry_run" = 0 ] && [ "$state" != ACTIVE ]; then
    pf_fail "Không thấy dự án $PROJECT, hoặc $account không có quyền xem / project $PROJECT not found or not visible to $account" \
      "Tạo dự án / create it: gcloud projects create $PROJECT --organization=MÃ_TỔ_CHỨC (hoặc trong console), rồi chạy lại" \
      "hoặc nhờ chủ dự án cấp quyền Owner cho $account / or ask its owner to grant $account roles/owner"
    return 1
  fi
  pf_pass "Dự án $PROJECT tồn tại / the project exists"
}

pf_billing() {
  if ! ask billing gcloud billing projects describe "$PROJECT" '--format=value(billingEnabled)'; then
    pf_fail "Không đọc được thông tin thanh toán của dự án $PROJECT / could not read the project's billing" \
      "Bật Cloud Billing API / enable it: gcloud services enable cloudbilling.googleapis.com --project=$PROJECT" \
      "hoặc xin quyền xem thanh toán của dự án (Project Billing Manager) / or ask for billing read access"
    return 0
  fi
  if [ "$dry_run" = 0 ] && [ "${billing,,}" != true ]; then
    pf_fail "Dự án $PROJECT chưa bật thanh toán (billing) / billing is not enabled on $PROJECT" \
      "Người có quyền Billing Account User trên tài khoản thanh toán của Sở/phòng chạy / someone with Billing Account User runs:" \
      "gcloud billing projects link $PROJECT --billing-account=XXXXXX-XXXXXX-XXXXXX (gcloud billing accounts list)"
    return 0
  fi
  pf_pass "Đã bật thanh toán / billing is enabled"
}

pf_roles() {
  local body missing perms
  perms=$(deploy_permissions)
  body=$(printf '%s\n' "$perms" | node -e 'console.log(JSON.stringify({ permissions: require("node:fs").readFileSync(0, "utf8").split("\n").filter(Boolean) }))')
  ask token gcloud auth print-access-token || true
  token="${token%%$'\n'*}"
  api granted "${token:-\$(gcloud auth print-access-token)}" POST \
    "https://cloudresourcemanager.googleapis.com/v1/projects/$PROJECT:testIamPermissions" "$body" || true
  [ "$dry_run" = 1 ] && return 0
  if [ -z "$granted" ]; then
    pf_fail "Không kiểm tra được quyền của $account / could not test $account's permissions" "Kiểm tra mạng và đăng nhập (gcloud auth login), rồi chạy lại"
    return 0
  fi
  missing=$(printf '%s\n' "$perms" | grep -vxF -f <(printf '%s' "$granted" | json permissions | tr ' ' '\n' | grep .) || true)
  if [ -n "$missing" ]; then
    pf_fail "$account thiếu quyền / lacks permissions: $(printf '%s' "$missing" | tr '\n' ' ')" \
      "Cách đơn giản / simplest: chủ dự án cấp roles/owner cho $account trong lúc triển khai:" \
      "gcloud projects add-iam-policy-binding $PROJECT --member=user:$account --role=roles/owner" \
      "(hoặc các vai trò tương ứng / or the matching roles: docs/van-hanh.md, mục Quyền của người triển khai)"
    return 0
  fi
  pf_pass "$account có đủ quyền triển khai / has every permission the deployment uses"
}

# pf_policy CONSTRAINT WHAT FIX VALUE...: an organisation policy that would block the deployment.
pf_policy() {
  local constraint="$1" what="$2" fix="$3" policy verdict
  shift 3
  if ! ask policy gcloud resource-manager org-policies describe "$constraint" "$P" --effective --format=json; then
    pf_manual "Không đọc được chính sách tổ chức $constraint / could not read the organisation policy $constraint" \
      "Nhờ quản trị viên tổ chức kiểm tra / ask the organisation admin: $what"
    return 0
  fi
  [ "$dry_run" = 1 ] && return 0
  verdict=$(printf '%s' "$policy" | blocked "$@")
  if [ -n "$verdict" ]; then
    pf_fail "Chính sách tổ chức $constraint chặn / the organisation policy blocks: $what ($verdict)" "$fix"
  else
    pf_pass "$constraint: không chặn / does not block ($what)"
  fi
}

pf_policies() {
  pf_section "Chính sách tổ chức / organisation policies"
  local exception="Quản trị viên chính sách tổ chức (roles/orgpolicy.policyAdmin) đặt ngoại lệ cho riêng dự án $PROJECT / an org policy admin sets an exception for this project only (docs/van-hanh.md)"
  pf_policy iam.allowedPolicyMemberDomains \
    "allUsers gọi được ingestResponse và statusPage (trang tình hình của trường) / allUsers may invoke the public functions" \
    "$exception" allUsers
  pf_policy run.allowedIngress "ingress all cho hai hàm công khai / ingress all for the public functions" \
    "$exception" all internal
  pf_policy cloudfunctions.allowedIngressSettings \
    "ALLOW_ALL (hàm công khai) và ALLOW_INTERNAL_ONLY (onFormResponses)" "$exception" ALLOW_ALL ALLOW_INTERNAL_ONLY
  pf_policy gcp.restrictServiceUsage "các API hệ thống cần / the APIs the deployment enables" "$exception" \
    cloudfunctions.googleapis.com run.googleapis.com cloudbuild.googleapis.com artifactregistry.googleapis.com \
    eventarc.googleapis.com pubsub.googleapis.com cloudscheduler.googleapis.com secretmanager.googleapis.com \
    firestore.googleapis.com forms.googleapis.com sheets.googleapis.com drive.googleapis.com gmail.googleapis.com \
    iam.googleapis.com iamcredentials.googleapis.com logging.googleapis.com
  pf_policy gcp.resourceLocations "vùng / region $REGION" \
    "Chọn REGION được phép, hoặc xin ngoại lệ / choose an allowed REGION, or ask for an exception" \
    --any "$REGION" "in:$REGION-locations" "in:${REGION%%-*}-locations"
  pf_pass "iam.disableServiceAccountKeyCreation: không liên quan, hệ thống không dùng khóa tài khoản dịch vụ / not relevant: no service account key is created"
}

pf_drive() {
  pf_section "Thư mục Drive / the Drive folder"
  local sa_token file fields
  fields="id,name,mimeType,driveId,capabilities(canAddChildren)"
  ask sa gcloud iam service-accounts describe "$JOB_SA" "$P" '--format=value(email)' || true
  if [ "$dry_run" = 0 ] && [ -z "$sa" ]; then
    pf_manual "Tài khoản $JOB_SA chưa có (lần triển khai đầu): chưa kiểm tra được thư mục $DIENHINH_DRIVE_FOLDER / not created yet" \
      "Sau khi triển khai: chia sẻ thư mục (trong một bộ nhớ dùng chung / shared drive) cho $JOB_SA, quyền Quản lý nội dung (Content manager); chạy lại --preflight để kiểm tra"
    return 0
  fi
  api sa_token "${token:-\$(gcloud auth print-access-token)}" POST \
    "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/$JOB_SA:generateAccessToken" \
    '{"scope":["https://www.googleapis.com/auth/drive"],"lifetime":"300s"}' || true
  sa_token=$(printf '%s' "$sa_token" | json accessToken)
  if [ "$dry_run" = 0 ] && [ -z "$sa_token" ]; then
    pf_manual "Không thử được quyền của $JOB_SA trên thư mục (cần vai trò Service Account Token Creator) / could not act as the job's account" \
      "Tự kiểm tra: thư mục $DIENHINH_DRIVE_FOLDER nằm trong bộ nhớ dùng chung và được chia sẻ cho $JOB_SA (Quản lý nội dung)"
    return 0
  fi
  api file "${sa_token:-\$ACCESS_TOKEN_OF_JOB_SA}" GET \
    "https://www.googleapis.com/drive/v3/files/$DIENHINH_DRIVE_FOLDER?supportsAllDrives=true&fields=$fields" || true
  [ "$dry_run" = 1 ] && return 0
  local kind drive can
  { read -r kind; read -r drive; read -r can; } < <(printf '%s' "$file" | json mimeType driveId capabilities.canAddChildren)
  if [ "$kind" != application/vnd.google-apps.folder ]; then
    pf_fail "$JOB_SA không thấy thư mục $DIENHINH_DRIVE_FOLDER / the job's account cannot see the folder" \
      "Chia sẻ thư mục cho $JOB_SA với quyền Quản lý nội dung (Content manager), hoặc sửa DIENHINH_DRIVE_FOLDER"
  elif [ -z "$drive" ]; then
    pf_fail "Thư mục $DIENHINH_DRIVE_FOLDER không nằm trong bộ nhớ dùng chung / not on a shared drive" \
      "Tài khoản dịch vụ không có dung lượng riêng: tạo thư mục trong một bộ nhớ dùng chung (shared drive) và dùng mã của nó"
  elif [ "$can" != true ]; then
    pf_fail "$JOB_SA không được thêm tệp vào thư mục / cannot add files to the folder" "Cấp quyền Quản lý nội dung (Content manager)"
  else
    pf_pass "Thư mục Drive trong bộ nhớ dùng chung, tài khoản của job ghi được / the job's account can write to the folder"
  fi
}

pf_mail() {
  pf_section "Thư điện tử và Google Workspace / mail and Workspace"
  if [ "$MAIL" = smtp ]; then
    pf_pass "SMTP: máy chủ $DIENHINH_SMTP_HOST"
    if ask secret gcloud secrets describe "$SMTP_SECRET" "$P" '--format=value(name)' && { [ "$dry_run" = 1 ] || [ -n "$secret" ]; }; then
      pf_pass "Đã có secret $SMTP_SECRET (mật khẩu SMTP) / the SMTP password secret exists"
    else
      pf_fail "Chưa có secret $SMTP_SECRET (mật khẩu SMTP) / the SMTP password secret is missing" \
        "read -rsp 'SMTP password: ' pass && printf '%s' \"\$pass\" | gcloud secrets create $SMTP_SECRET --data-file=- --replication-policy=automatic --project=$PROJECT"
    fi
  else
    pf_manual "Gmail: cần một quản trị viên cấp cao (super admin) của Google Workspace ủy quyền toàn miền cho $JOB_SA, phạm vi gmail.send (gcloud không kiểm tra được) / a Workspace super admin must grant domain-wide delegation (cannot be checked from gcloud)" \
      "Admin console › Bảo mật › Kiểm soát API › Ủy quyền trên toàn miền; không có quản trị viên: dùng DIENHINH_MAIL=smtp" \
      "Địa chỉ thư của từng phòng phải là bí danh “Gửi thư với tư cách” của $DIENHINH_GMAIL_SENDER / each office's email must be a send-as alias of the sender"
  fi
  pf_manual "Google Forms: quản trị viên Workspace cho phép biểu mẫu nhận câu trả lời từ tài khoản ngoài tổ chức nếu các trường dùng tài khoản khác miền (gcloud không kiểm tra được) / Workspace admin: forms must accept responses from outside the organisation when schools use other domains"
}

preflight() {
  [ "$dry_run" = 1 ] || printf 'Kiểm tra trước khi triển khai / preflight: dự án %s, vùng %s\n' "$PROJECT" "$REGION"
  if pf_account; then
    pf_billing
    pf_roles
    pf_policies
    pf_drive
  fi
  pf_mail
  [ "$dry_run" = 1 ] && return 0
  if [ "$preflight_failed" -gt 0 ]; then
    printf '\n✗ %s điều kiện chưa đạt: sửa theo hướng dẫn trên rồi chạy lại / %s prerequisites not met.\n' \
      "$preflight_failed" "$preflight_failed"
    return 1
  fi
  printf '\n✓ Đủ điều kiện; làm các bước ! bằng tay, rồi triển khai / all checks passed: PROJECT=%s scripts/deploy\n' "$PROJECT"
}
