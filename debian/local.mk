# SPDX-License-Identifier: LGPL-2.1-or-later
# debian/local.mk - the Debian packaging travels in the tarball, so that
# tests/check-debian-symbols.sh also runs there.
EXTRA_DIST += \
	debian/changelog \
	debian/control \
	debian/copyright \
	debian/rules \
	debian/source/format \
	debian/not-installed \
	debian/libsspi1.install \
	debian/libsspi1.symbols \
	debian/libsspi-dev.docs \
	debian/libsspi-dev.install \
	debian/libsspi-packages.dirs \
	debian/libsspi-packages.docs \
	debian/libsspi-packages.examples \
	debian/libsspi-packages.install \
	debian/sspi-tools.install \
	debian/sspi-tools.links \
	debian/tests/control \
	debian/tests/installed
