-- Quarto-style figure and table numbering and @fig-/@tbl- cross-references for plain pandoc.
--
-- HTML and DOCX: captions become "Figure N: ..." / "Table N: ..." and @fig-x becomes a link
-- "Figure N". Typst numbers figures itself, so there @fig-x becomes a native typst reference.
-- `fig-alt` (Quarto's name) becomes the image's alt text in every format.

local numbers = {}
local is_typst = FORMAT:match("typst") ~= nil

local function kind_of(identifier)
  if identifier:match("^fig%-") then return "Figure" end
  if identifier:match("^tbl%-") then return "Table" end
  return nil
end

local function prefix_caption(caption, text)
  local prefix = pandoc.Inlines({ pandoc.Str(text .. ":"), pandoc.Space() })
  if #caption.long == 0 then
    caption.long = { pandoc.Plain(prefix) }
  else
    local first = caption.long[1]
    first.content = prefix .. first.content
  end
  return caption
end

local function alt_text(img)
  local alt = img.attributes["fig-alt"]
  if alt then
    -- pandoc keeps alt text as the image's inline content (HTML alt, DOCX descr).
    img.attributes["fig-alt"] = nil
    img.caption = pandoc.Inlines({ pandoc.Str(alt) })
  end
  return img
end

local function typst_string(s)
  return '"' .. s:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

-- First pass: number figures and tables in document order.
local function count(doc)
  local counters = { Figure = 0, Table = 0 }
  doc:walk({
    Figure = function(fig)
      local kind = kind_of(fig.identifier)
      if kind then
        counters[kind] = counters[kind] + 1
        numbers[fig.identifier] = { kind = kind, n = counters[kind] }
      end
    end,
    Table = function(tbl)
      local kind = kind_of(tbl.identifier)
      if kind then
        counters[kind] = counters[kind] + 1
        numbers[tbl.identifier] = { kind = kind, n = counters[kind] }
      end
    end,
  })
end

local function label(identifier)
  local entry = numbers[identifier]
  return entry.kind .. " " .. tostring(entry.n)
end

local function typst_figure(fig)
  -- pandoc's typst writer drops image alt text; write the figure ourselves to keep it.
  local img
  pandoc.walk_block(fig, { Image = function(el) img = img or el end })
  if not img then return nil end
  local alt = pandoc.utils.stringify(img.caption)
  local caption = pandoc.write(pandoc.Pandoc(fig.caption.long), "typst"):gsub("%s+$", "")
  local code = "#figure(image(" .. typst_string(img.src) .. ", alt: "
    .. typst_string(alt) .. "), caption: [" .. caption .. "])"
  if fig.identifier ~= "" then code = code .. " <" .. fig.identifier .. ">" end
  return pandoc.RawBlock("typst", code)
end

-- A chart's description from the data: a paragraph holding only [text]{.psw-alt} straight
-- after a figure becomes the end of that figure's alt text (values and trend), not body text.
local function first_image(block)
  local found = nil
  pandoc.walk_block(block, { Image = function(el) found = found or el end })
  return found
end

local function is_alt_para(block)
  return block and block.t == "Para" and #block.content == 1 and block.content[1].t == "Span"
    and block.content[1].classes:includes("psw-alt")
end

local function merge_chart_alt(blocks)
  local out = pandoc.List()
  local i = 1
  while i <= #blocks do
    local block = blocks[i]
    local following = blocks[i + 1]
    if (block.t == "Figure" or block.t == "Para") and is_alt_para(following) then
      local described = pandoc.utils.stringify(following.content[1])
      block = pandoc.walk_block(block, { Image = function(img)
        local alt = img.attributes["fig-alt"]
        img.attributes["fig-alt"] = alt and (alt .. " " .. described) or described
        return img
      end })
      out:insert(block)
      i = i + 2
    else
      out:insert(block)
      i = i + 1
    end
  end
  return out
end

function Pandoc(doc)
  doc.blocks = merge_chart_alt(doc.blocks)
  doc = doc:walk({ Blocks = function(blocks) return merge_chart_alt(blocks) end })
  doc = doc:walk({ Image = alt_text })
  count(doc)
  doc = doc:walk({
    Figure = function(fig)
      if is_typst then return typst_figure(fig) end
      if numbers[fig.identifier] then
        fig.caption = prefix_caption(fig.caption, label(fig.identifier))
      end
      return fig
    end,
    Table = function(tbl)
      if not is_typst and numbers[tbl.identifier] then
        tbl.caption = prefix_caption(tbl.caption, label(tbl.identifier))
      end
      return tbl
    end,
    Cite = function(cite)
      local id = cite.citations[1].id
      if not kind_of(id) then return nil end
      if not numbers[id] then
        return pandoc.Strong({ pandoc.Str("?@" .. id) })
      end
      if is_typst then return pandoc.RawInline("typst", "@" .. id) end
      return pandoc.Link({ pandoc.Str(label(id)) }, "#" .. id)
    end,
  })
  return doc
end
