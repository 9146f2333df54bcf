#!/bin/bash
# The execve rules against Debian 12's own kernel, Linux 6.1 (TAP): before
# 6.17 (commit 337490f0007f) the kernel judged a change of ids against the
# caller's real ids, not its effective ones, and capguard must follow the
# kernel it runs on. exec_rules_test.sh's matrix runs again inside that
# kernel, booted by qemu-system-x86_64 (software emulation) with this
# machine's root file system shared read-only over 9p, and each of its
# checks is reported here.
# usage: oldkernel_test.sh CAPGUARD; the kernel package is the one Debian
# 12's linux-image-amd64 depends on, downloaded with apt-get, or the .deb
# named by CAPGUARD_KERNEL_DEB.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

root_states "execve rules against Linux 6.1"
[ "$(uname -m)" != x86_64 ] && { skip "execve rules against Linux 6.1" "Debian's amd64 kernel needs an x86_64 machine"; done_testing; }
CG=$(realpath "$1") src=$(realpath "$(dirname "${BASH_SOURCE[0]}")/..")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"  # apt-get downloads as the _apt user
deb=${CAPGUARD_KERNEL_DEB:-}
if [ -z "$deb" ]; then
  pkg=$(apt-cache depends linux-image-amd64 | awk '$1 == "Depends:" { print $2; exit }')
  (cd "$work" && apt-get download -q "$pkg" >/dev/null) || { not_ok "apt-get download ${pkg:-linux-image-amd64}'s kernel"; done_testing; }
  deb=$(ls "$work"/*.deb)
fi
dpkg-deb -x "$deb" "$work/kernel" || { not_ok "unpack $deb"; done_testing; }

# The initramfs: busybox, the modules for 9p over virtio in load order, and
# an init that mounts this machine's / and becomes the test script (not
# chrooted: the kernel refuses a chrooted caller a new user namespace).
mkdir -p "$work/ir/bin" "$work/ir/mod" "$work/ir/proc" "$work/ir/root"
cp /bin/busybox "$work/ir/bin/" || { not_ok "busybox-static is installed"; done_testing; }
command -v qemu-system-x86_64 >/dev/null || { not_ok "qemu-system-x86 is installed"; done_testing; }
mods="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p fuse"
for m in $mods; do
  f=$(find "$work/kernel/lib/modules" -name "$m.ko")
  [ -n "$f" ] || { not_ok "$deb has $m.ko"; done_testing; }
  cp "$f" "$work/ir/mod/"
done
cat >"$work/ir/init" <<EOF
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
for m in $mods; do /bin/busybox insmod /mod/\$m.ko || echo "vm: insmod \$m failed"; done
/bin/busybox mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose host /root
/bin/busybox mount -t proc proc /root/proc
/bin/busybox mount -t sysfs sys /root/sys
/bin/busybox mount -t devtmpfs dev /root/dev
/bin/busybox ln -s /proc/self/fd /root/dev/fd
/bin/busybox mount -t tmpfs -o mode=1777 tmp /root/mnt
/bin/busybox umount /proc
exec /bin/busybox switch_root /root /bin/bash "$work/vm.sh"
EOF
chmod 755 "$work/ir/init"
cat >"$work/vm.sh" <<EOF
export PATH=/usr/sbin:/usr/bin:/sbin:/bin TMPDIR=/mnt HOME=/root
echo "vm: release \$(uname -r)"
bash "$src/test/exec_rules_test.sh" "$CG"
echo "vm: exit \$?"
bash "$work/ps.sh" "$CG" "$work/stuck_fuse" "$work/leader_exit"
echo o >/proc/sysrq-trigger
sleep 60  # the power-off is asynchronous; init must not exit first
EOF
# capguard ps where status has no Kthread line (before Linux 6.4): every
# process listed, and no kernel thread, PF_KTHREAD in each /proc/PID/stat
# the oracle. Among them a zombie, a process whose main thread has ended
# while another lives on, and one whose main thread is kept on its way out,
# past letting go of its memory (it closes a file whose FUSE server never
# answers), while another thread lives on: no VmSize line, and not a zombie.
cc -o "$work/stuck_fuse" "$src/test/stuck_fuse.c" && cc -pthread -o "$work/leader_exit" "$src/test/leader_exit.c" ||
  { not_ok "build test/stuck_fuse.c and test/leader_exit.c"; done_testing; }
cat >"$work/ps.sh" <<'EOF'
sh -c 'true & exec sleep 60' &  # its child, never reaped, stays a zombie
mkdir /mnt/fuse && "$2" /mnt/fuse &
"$3" >/mnt/left &
sleep 1
"$3" /mnt/fuse/f >/mnt/kept &
sleep 1
read -r kept </mnt/kept
kept_main=$(grep -cE '^VmSize:|^State:.Z|^Threads:.2$' "/proc/$kept/status")
"$1" ps --sets all >/mnt/ps.txt
rc=$?
kernel=() user=() zombie=''
for s in /proc/[0-9]*/stat; do
  read -r l <"$s" || continue
  set -- ${l##*) }  # STATE PPID PGRP SESSION TTY TPGID FLAGS ...
  [ "$1" = Z ] && zombie=${l%% *}
  if [ $(($7 & 0x200000)) != 0 ]; then kernel+=("${l%% *}"); else user+=("${l%% *}"); fi
done
listed=" $(grep -v ' tid=' /mnt/ps.txt | sed 's/^pid=\([0-9]*\) .*/\1/' | tr '\n' ' ')"
listed_kernel='' missed=''
for p in "${kernel[@]}"; do [[ $listed == *" $p "* ]] && listed_kernel+=" $p"; done
for p in "${user[@]}"; do [[ $listed == *" $p "* ]] || missed+=" $p"; done
echo "vm: ps kthread_lines=$(grep -c '^Kthread:' /proc/1/status) rc=$rc kernel_threads=$((${#kernel[@]} > 10))" \
  "listed_kernel=[$listed_kernel] missed=[$missed] zombie_listed=$([[ -n $zombie && $listed == *" $zombie "* ]] && echo yes)" \
  "kept_main_lines=$kept_main kept_listed=$([[ $listed == *" $kept "* ]] && echo yes) left_listed=$(read -r left </mnt/left && [[ $listed == *" $left "* ]] && echo yes)"
EOF
(cd "$work/ir" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 >"$work/initrd.gz")

# In the test's process group (--foreground), so that meson's kill of it
# at its timeout ends qemu too.
timeout --foreground 780 qemu-system-x86_64 -accel tcg -cpu max -m 1024 -smp 2 -nographic -no-reboot \
  -kernel "$(ls "$work"/kernel/boot/vmlinuz-*)" -initrd "$work/initrd.gz" -append "console=ttyS0 quiet panic=-1" \
  -virtfs local,path=/,mount_tag=host,security_model=passthrough,readonly=on,multidevs=remap </dev/null 2>&1 |
  tr -d '\r' >"$work/console"

# The firmware's escape sequences precede the first line on the console.
release=$(sed -n 's/.*vm: release //p' "$work/console")
major=${release%%.*} minor=${release#*.} minor=${minor%%.*}
if [ -n "$release" ] && [ "$major" -eq 6 ] 2>/dev/null && [ "$minor" -lt 17 ] 2>/dev/null; then
  ok "the kernel booted is before 6.17: $release"
else
  not_ok "the kernel booted is before 6.17" "release: ${release:-none}" "$(tail -20 "$work/console")"
  done_testing
fi
# Each of the matrix's checks, and its diagnostics, as one of this test's.
checks=0 name='' diag=()
flush() { [ -n "$name" ] && if [ "$state" = ok ]; then ok "Linux $release: $name"; else not_ok "Linux $release: $name" "${diag[@]}"; fi; name=''; diag=(); }
while IFS= read -r line; do
  case $line in
    'ok '* | 'not ok '*)
      flush
      state=${line%% *} name=${line#* - } checks=$((checks + 1)) ;;
    '# '*) diag+=("${line#\# }") ;;
  esac
done < <(sed -n '/vm: release/,/^vm: exit/p' "$work/console" | grep -E '^(ok|not ok|# )')
flush
expect "the matrix ran every check and passed" "1..$checks vm: exit 0" \
  "$(grep -E '^1\.\.[0-9]+$' "$work/console") $(grep '^vm: exit' "$work/console")" "$(tail -5 "$work/console")"
expect "the matrix skipped nothing" "" "$(grep -E '^ok .* # SKIP' "$work/console")"
expect "Linux $release: ps lists every process (a zombie, a main thread gone or kept on its way out) and no kernel thread, without the Kthread line" \
  "kthread_lines=0 rc=0 kernel_threads=1 listed_kernel=[] missed=[] zombie_listed=yes kept_main_lines=1 kept_listed=yes left_listed=yes" \
  "$(sed -n 's/.*vm: ps //p' "$work/console")"
done_testing
