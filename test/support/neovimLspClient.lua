-- Drives `pgreview lsp` from Neovim's built-in LSP client (0.7 API: start_client, buf_attach_client),
-- headless, for test/unit/neovim.test.ts. It opens a migration, waits for diagnostics, asks for the
-- code actions at a finding with an in-place fix, applies the preferred one, writes the buffer and
-- waits for the finding to go. What it saw goes to PGREVIEW_OUT as JSON; the mocha test judges it.
-- Every wait is bounded; an error is written to the JSON and ends Neovim with a non-zero code.
local root = assert(os.getenv('PGREVIEW_ROOT'))
local file = assert(os.getenv('PGREVIEW_FILE'))
local other_file = assert(os.getenv('PGREVIEW_OTHER_FILE'))
local out = assert(os.getenv('PGREVIEW_OUT'))
local fix_rule = assert(os.getenv('PGREVIEW_FIX_RULE'))
local timeout_ms = 60000
local open_in_neovim = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/openInNeovimPgreview.lua')

local result = {}

local function write_result()
  local handle = assert(io.open(out, 'w'))
  handle:write(vim.fn.json_encode(result))
  handle:close()
end

local function plain(diagnostics)
  return vim.tbl_map(function(d)
    local lsp = d.user_data and d.user_data.lsp or {}
    return {
      lnum = d.lnum,
      col = d.col,
      code = d.code,
      message = d.message,
      severity = d.severity,
      source = d.source,
      href = lsp.codeDescription and lsp.codeDescription.href or vim.NIL,
    }
  end, diagnostics)
end

local function has_code(bufnr, code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == code then return d end
  end
  return nil
end

local function main()
  local client_id, bufnr = open_in_neovim(root, file, {
    settings = { pgreview = { rules = { no_primary_key = 'off' } } },
    -- Neovim 0.7 does not declare workspace/configuration, so the settings are pushed once the
    -- server is up, as nvim-lspconfig does; later versions answer the server's request too.
    on_init = function(client)
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end,
  })

  if not vim.wait(timeout_ms, function() return has_code(bufnr, fix_rule) ~= nil end, 20) then
    error('no ' .. fix_rule .. ' diagnostic within ' .. timeout_ms .. ' ms')
  end
  result.diagnostics = plain(vim.diagnostic.get(bufnr))
  -- Migrations the editor never opened get their diagnostics too, once the settings (which turn
  -- no_primary_key off) have reached the server.
  local other = vim.uri_to_bufnr(vim.uri_from_fname(other_file))
  vim.wait(timeout_ms, function() return has_code(other, 'legacy_table') ~= nil and has_code(other, 'no_primary_key') == nil end, 20)
  result.other_file_diagnostics = plain(vim.diagnostic.get(other))

  local client = vim.lsp.get_client_by_id(client_id)
  local target = has_code(bufnr, fix_rule)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = target.lnum, character = target.col }, ['end'] = { line = target.end_lnum, character = target.end_col } },
    context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, target.lnum) },
  }
  local response = client.request_sync('textDocument/codeAction', params, timeout_ms, bufnr)
  if not response or response.err then error('codeAction failed: ' .. vim.inspect(response)) end
  local actions = response.result or {}
  result.action_titles = vim.tbl_map(function(action) return action.title end, actions)
  local chosen
  for _, action in ipairs(actions) do
    if action.isPreferred and action.edit then chosen = action break end
  end
  if not chosen then error('no preferred code action among ' .. vim.inspect(result.action_titles)) end
  result.applied = chosen.title
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  vim.cmd('write')

  -- The edit reaches the server as a didChange; the finding it fixed goes away.
  result.fixed = vim.wait(timeout_ms, function()
    local d = has_code(bufnr, fix_rule)
    return d == nil or d.lnum ~= target.lnum
  end, 20)
  result.diagnostics_after = plain(vim.diagnostic.get(bufnr))
  vim.lsp.stop_client(client_id)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then result.error = err end
write_result()
vim.cmd(ok and 'qall!' or 'cquit! 1')
