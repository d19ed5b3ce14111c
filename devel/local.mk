# SPDX-License-Identifier: LGPL-2.1-or-later
# devel/local.mk - maintainer tools: `make format` rewrites the C sources in
# the style of .clang-format, `make check-format` fails on any difference;
# devel/add-spdx.sh adds the licence line to files that lack it.
EXTRA_DIST += devel/source-files.sh devel/add-spdx.sh devel/gen-debian-symbols.sh

format_sources = cd $(srcdir) && $(SHELL) devel/source-files.sh | grep '\.[ch]$$'
format_need_tool = test -n "$(CLANG_FORMAT)" || \
	{ echo "$@: clang-format not found (Debian: apt-get install clang-format)"; exit 1; }; \
	$(CLANG_FORMAT) --version | grep -q ' version 14\.' || \
	echo "$@: note: .clang-format is written for clang-format 14, $(CLANG_FORMAT) may differ"

format:
	@$(format_need_tool)
	$(AM_V_GEN)$(format_sources) | xargs -r $(CLANG_FORMAT) -i

check-format:
	@$(format_need_tool)
	@if $(format_sources) | xargs -r $(CLANG_FORMAT) --dry-run --Werror; then \
	    echo "check-format: the C sources follow .clang-format"; \
	else echo "check-format: the differences above fail; make format fixes them"; exit 1; fi
