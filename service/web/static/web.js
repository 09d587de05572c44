// Shencha reviewer pages: drag-and-drop upload with progress, status polling, confirmations.
// Plain JavaScript, no libraries, nothing fetched from outside this server.
"use strict";

const POLL_MS = 2000;

function $(sel, root) { return (root || document).querySelector(sel); }

// ---- upload page -------------------------------------------------------------
function setupUpload() {
  const form = $("#upload-form");
  if (!form) return;
  const zone = $("#dropzone"), input = $("#file-input"), list = $("#chosen");
  let dropped = null; // files from a drop; a normal file choice replaces them

  function show(files) {
    list.textContent = "";
    for (const f of files) {
      const li = document.createElement("li");
      li.textContent = `${f.name}（${Math.ceil(f.size / 1024)} KB）`;
      list.appendChild(li);
    }
  }
  input.addEventListener("change", () => { dropped = null; show(input.files); });
  ["dragenter", "dragover"].forEach((ev) => zone.addEventListener(ev, (e) => {
    e.preventDefault(); zone.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((ev) => zone.addEventListener(ev, (e) => {
    e.preventDefault(); zone.classList.remove("over");
  }));
  zone.addEventListener("drop", (e) => {
    dropped = Array.from(e.dataTransfer.files);
    show(dropped);
  });

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(form);
    if (dropped) {
      data.delete("files");
      dropped.forEach((f) => data.append("files", f, f.name));
    }
    const files = data.getAll("files").filter((f) => f && f.name);
    if (!files.length) { showError("请先选择或拖入申报材料文件"); return; }
    upload(data);
  });

  function showError(text) {
    const box = $("#upload-error");
    box.textContent = text; box.hidden = false;
    $("#upload-button").disabled = false;
  }

  function upload(data) {
    $("#upload-error").hidden = true;
    $("#upload-button").disabled = true;
    $("#upload-status").hidden = false;
    const bar = $("#upload-progress"), stage = $("#upload-stage");
    stage.textContent = "正在上传……";
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRF-Token", form.dataset.csrf);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        bar.max = 100; bar.value = Math.round((e.loaded / e.total) * 100);
        $("#upload-detail").textContent = `已上传 ${bar.value}%`;
      }
    });
    xhr.addEventListener("load", () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
      if (xhr.status === 202 && body.id) {
        stage.textContent = "上传完成，等待审查……";
        followProgress(`/web/packages/${body.id}/progress`, (info) => {
          stage.textContent = `${info.status_label}：${info.progress_text}`;
          const p = info.progress || {};
          if (p.total) { bar.max = p.total; bar.value = p.done; } else { bar.removeAttribute("value"); }
          $("#upload-detail").textContent = "";
        }, (info) => { window.location.href = info.url; });
      } else {
        $("#upload-status").hidden = true;
        showError(body.detail || `上传失败（HTTP ${xhr.status}）`);
      }
    });
    xhr.addEventListener("error", () => {
      $("#upload-status").hidden = true;
      showError("网络错误，上传未完成，请重试");
    });
    xhr.send(data);
  }
}

// Poll one package until it is done or failed.
function followProgress(url, onUpdate, onFinished) {
  function tick() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((r) => r.ok ? r.json() : Promise.reject(r.status))
      .then((info) => {
        onUpdate(info);
        if (info.status === "done" || info.status === "failed") onFinished(info);
        else setTimeout(tick, POLL_MS);
      })
      .catch(() => setTimeout(tick, POLL_MS * 2));
  }
  tick();
}

// ---- progress page: reload into the report once checking ends ----------------
function setupProgressPage() {
  const box = $(".progress-box[data-progress]");
  if (!box || !["queued", "running"].includes(box.dataset.status)) return;
  followProgress(box.dataset.progress, (info) => {
    $("#progress-status").textContent = info.status_label;
    $("#progress-status").className = `status ${info.status}`;
    $("#progress-text").textContent = info.progress_text;
    const bar = $("#progress-bar"), p = info.progress || {};
    if (bar && p.total) { bar.max = p.total; bar.value = p.done; }
  }, () => window.location.reload());
}

// ---- package list: refresh statuses while any package is queued or running ----
function setupListPolling() {
  const table = $("table.packages[data-poll]");
  if (!table) return;
  function active() {
    return Array.from(table.querySelectorAll("tr[data-id]"))
      .filter((tr) => tr.dataset.status === "queued" || tr.dataset.status === "running");
  }
  function tick() {
    const rows = active();
    if (!rows.length) return;
    const ids = rows.map((tr) => tr.dataset.id).join(",");
    fetch(`${table.dataset.poll}?ids=${encodeURIComponent(ids)}`, { credentials: "same-origin" })
      .then((r) => r.ok ? r.json() : Promise.reject(r.status))
      .then((body) => {
        for (const tr of rows) {
          const info = body.packages[tr.dataset.id];
          if (!info) continue;
          tr.dataset.status = info.status;
          const status = tr.querySelector("[data-field=status]");
          status.textContent = info.status_label;
          status.className = `status ${info.status}`;
          status.title = info.status === "failed" ? (info.reason || "") : info.progress_text;
          const company = tr.querySelector("[data-field=company]");
          company.textContent = info.company || "";
          company.title = info.company || "";
          if (info.status === "done") {
            for (const [sev, n] of Object.entries(info.counts)) {
              const cell = tr.querySelector(`[data-count=${sev}]`);
              if (cell) cell.textContent = n;
            }
          }
        }
        setTimeout(tick, POLL_MS);
      })
      .catch(() => setTimeout(tick, POLL_MS * 2));
  }
  setTimeout(tick, POLL_MS);
}

// ---- confirmations for destructive forms --------------------------------------
function setupConfirm() {
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (e) => {
      if (!window.confirm(form.dataset.confirm)) e.preventDefault();
    });
  });
}

// ---- report page: a crop of the original page that cannot be shown is left out ---
function setupCrops() {
  document.querySelectorAll(".crop img").forEach((img) => {
    const hide = () => img.closest(".crop").classList.add("failed");
    if (img.complete && img.naturalWidth === 0 && img.getAttribute("loading") !== "lazy") hide();
    img.addEventListener("error", hide);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupCrops();
  setupUpload();
  setupProgressPage();
  setupListPolling();
  setupConfirm();
});
