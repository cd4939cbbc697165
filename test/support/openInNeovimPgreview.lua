-- Starts `pgreview lsp` (PGREVIEW_NODE running PGREVIEW_BIN) in Neovim's built-in LSP client (0.7
-- API) for the project `root`, opens `file` and attaches the client to it, for the headless Neovim
-- scripts of the tests (neovimLspClient.lua) and the bench (scripts/benchNeovim.lua). `config` adds
-- to the client's configuration (settings, flags). Returns the client id and the buffer.
return function(root, file, config)
  local client_id = assert(vim.lsp.start_client(vim.tbl_extend('error', {
    name = 'pgreview',
    cmd = { assert(os.getenv('PGREVIEW_NODE')), assert(os.getenv('PGREVIEW_BIN')), 'lsp', '--stdio' },
    root_dir = root,
  }, config)))
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)
  return client_id, bufnr
end
