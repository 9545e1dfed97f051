// Talking to the explorer's JSON API: every error comes back as {"error": "..."}.

export class ApiError extends Error {}

async function answer(response) {
  if (response.ok) return response;
  let text = `${response.status} ${response.statusText}`;
  try { text = (await response.json()).error || text; } catch (_) { /* not JSON */ }
  throw new ApiError(text);
}

export async function getJson(url) {
  return (await answer(await fetch(url))).json();
}

export async function postJson(url, body) {
  const response = await fetch(url, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  return (await answer(response)).json();
}

export async function postBlob(url, body) {
  const response = await fetch(url, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  return (await answer(response)).blob();
}

export function download(href, name) {
  const link = document.createElement("a");
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}
