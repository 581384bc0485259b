#!/usr/bin/env python3
"""Des fichiers à la grille, et la mémoire au plus, de la fenêtre sur un département.

Lance l'exécutable sur les 4 listes et l'export ENT d'un dossier généré
(`cargo run --release --example generate -- DOSSIER 7 --departement`), mesure le temps du
lancement à la fin du fil « chargement » (la grille s'affiche à l'image suivante), lit VmHWM et
VmRSS dans /proc, puis ferme la fenêtre. Il faut un affichage (Xvfb : `Xvfb :99 &`, puis
DISPLAY=:99).

    DISPLAY=:99 scripts/mesure_fenetre.py EXÉCUTABLE DOSSIER [ESSAIS]
"""
import glob
import os
import signal
import subprocess
import sys
import tempfile
import time

if len(sys.argv) < 3:
    sys.exit(__doc__)
binary, folder = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
files = [os.path.join(folder, name) for name in
         ("professeurs.csv", "eleves.txt", "responsables.csv", "personnels.csv")]
files += ["--ent", os.path.join(folder, "ent.csv")]


def threads(pid):
    names = []
    for comm in glob.glob(f"/proc/{pid}/task/*/comm"):
        try:
            with open(comm) as f:
                names.append(f.read().strip())
        except OSError:
            pass
    return names


def status(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) // 1024
    return 0


for _ in range(runs):
    # A configuration of its own: no recent files or remembered state from another run.
    with tempfile.TemporaryDirectory() as config:
        env = dict(os.environ, PRONOTE_COMPANION_CONFIG_DIR=config)
        start = time.monotonic()
        process = subprocess.Popen([binary] + files, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen = False
        while True:
            if "chargement" in threads(process.pid):
                seen = True
            elif seen or process.poll() is not None:
                break
            if time.monotonic() - start > 120:
                print("plus de 120 s : abandon")
                break
            time.sleep(0.005)
        loaded = time.monotonic() - start
        time.sleep(1.5)
        print(f"{loaded:.2f} s jusqu'à la grille, au plus {status(process.pid, 'VmHWM')} Mo, "
              f"ensuite {status(process.pid, 'VmRSS')} Mo")
        process.send_signal(signal.SIGTERM)
        process.wait()
