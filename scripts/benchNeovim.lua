-- The bench's Neovim step (scripts/bench.mjs): `pgreview lsp` in Neovim's built-in LSP client
-- (0.7 API), headless, on the bench project. It opens the last migration, waits for its first
-- diagnostics, then types a table without RLS at the end of the buffer PGREVIEW_RUNS times and
-- times each edit, from the change to the buffer until Neovim holds the diagnostic that names the
-- new table (Neovim's own debounce of didChange included: what a user sees). PGREVIEW_DEBOUNCE,
-- when set, is the client's flags.debounce_text_changes (Neovim's default: 150 ms). The times go
-- to PGREVIEW_OUT as JSON; an error is written there too and ends Neovim with a non-zero code.
local root = assert(os.getenv('PGREVIEW_ROOT'))
local file = assert(os.getenv('PGREVIEW_FILE'))
local out = assert(os.getenv('PGREVIEW_OUT'))
local runs = tonumber(assert(os.getenv('PGREVIEW_RUNS')))
local debounce = tonumber(os.getenv('PGREVIEW_DEBOUNCE') or '')
local timeout_ms = 120000
local open_in_neovim = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/../test/support/openInNeovimPgreview.lua')

local result = { edits_ms = {} }
local hrtime = vim.loop.hrtime

-- Stamps the moment Neovim stores diagnostics that satisfy `awaited`, in the handler itself, so
-- the polling interval of vim.wait below does not count.
local awaited, shown_at
local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, params, ctx, config)
  publish(err, params, ctx, config)
  if awaited and shown_at == nil and awaited(params) then shown_at = hrtime() end
end

local function names(table_name)
  return function(params)
    if vim.uri_to_fname(params.uri) ~= file then return false end
    for _, d in ipairs(params.diagnostics) do
      if d.message:find(table_name, 1, true) then return true end
    end
    return false
  end
end

local function main()
  local started = hrtime()
  awaited, shown_at = function(params) return vim.uri_to_fname(params.uri) == file end, nil
  local client_id, bufnr = open_in_neovim(root, file, { flags = { debounce_text_changes = debounce } })
  if not vim.wait(timeout_ms, function() return shown_at ~= nil end, 5) then error('no first diagnostics within ' .. timeout_ms .. ' ms') end
  result.first_ms = (shown_at - started) / 1e6

  for run = 1, runs do
    local table_name = 'public.bench_nvim_' .. run
    awaited, shown_at = names(table_name), nil
    local edited = hrtime()
    vim.api.nvim_buf_set_lines(bufnr, -1, -1, false, { 'create table ' .. table_name .. ' (id bigint primary key);' })
    if not vim.wait(timeout_ms, function() return shown_at ~= nil end, 5) then error('no diagnostic for ' .. table_name .. ' within ' .. timeout_ms .. ' ms') end
    table.insert(result.edits_ms, (shown_at - edited) / 1e6)
  end
  vim.lsp.stop_client(client_id)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then result.error = err end
local handle = assert(io.open(out, 'w'))
handle:write(vim.fn.json_encode(result))
handle:close()
vim.cmd(ok and 'qall!' or 'cquit! 1')
